// Package txn is atomicity across services on the protocol lab: a bank
// whose accounts live on different nodes, moving money by two-phase
// commit or by a saga, driven by the lab's bank workload (Jepsen's bank
// test) and attacked by its nemesis.
//
// # Designs
//
// TwoPC: the coordinator of a transfer (the node its client talks to)
// asks each participant (the owners of the two accounts) to prepare: lock
// the account, check the funds, write the prepare durably, vote yes. All
// yes: the decision is written durably, the client answered, the
// participants told to commit until each acknowledges. Anything else: abort
// (presumed abort: a coordinator with no decision on its disk answers
// "abort"). A read is a transaction too, with shared locks, so no reader
// sees a transfer half done. A participant that voted yes cannot decide
// alone: it holds its locks until the decision reaches it, through its
// own crashes and however long the coordinator is down. That is 2PC's
// blocking, and the lock holds are its price under contention.
//
// Saga: the coordinator logs the transfer durably, then has the source
// debited, then the destination credited, each step asked again until
// answered; a refused credit (Config.CreditLimit) is compensated by a
// refund to the source, which can itself be refused while the source is
// full, and is asked again until it goes through. Nothing is locked, so a
// crashed coordinator stalls only its own sagas, but a reader can see the
// money in flight.
//
// Every node keeps a journal (one durable record per transaction or step),
// so a message that comes twice, or late, is answered as the first was.
//
// # Checking
//
// The bank workload's checkers judge what clients saw: BankChecker
// (atomicity: every final read shows the bank's total) and
// BankSnapshotChecker (every read during the run does). The Monitor
// (Test.Monitor from LabTest) watches from inside: each participant's lock
// holds, each saga's money in flight, refunds refused, and atomicity
// transaction by transaction (no transfer committed by one participant and
// aborted by another), and it fails a run that ends with a participant
// still blocked or a saga still in flight.
//
// # Experiments
//
// RunOutage crashes one coordinator while it has a transfer in doubt and
// runs the same schedule under both designs; OutageFigures draws them
// side by side. Contention measures throughput, refusals and lock holds
// against the number of accounts.
//
// # Usage
//
//	test, err := txn.LabTest(txn.Config{Design: txn.TwoPC, Accounts: 6})
//	test.Nemesis = lab.Nemesis{Kinds: lab.FaultKinds()}
//	found, err := lab.Search(test, lab.Seeds{Count: 500}) // nil: atomic on every seed
package txn
