package sweep

// SetLimits lowers the memory and file limits for a test; the returned
// function restores them.
func SetLimits(memory, file, entry int64) (restore func()) {
	m, f, e := memoryLimit, fileLimit, entryLimit
	memoryLimit, fileLimit, entryLimit = memory, file, entry
	return func() { memoryLimit, fileLimit, entryLimit = m, f, e }
}
