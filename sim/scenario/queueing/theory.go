package queueing

import (
	"fmt"
	"math"
	"time"
)

// MMC is the M/M/c queue of theory: Poisson arrivals at rate Lambda,
// exponential holding times at rate Mu per server, Servers servers, one
// unbounded FIFO queue. Formulas: Erlang C as in Kleinrock, Queueing Systems
// vol. 1, §3.5; Gross and Harris, Fundamentals of Queueing Theory, §2.3.
type MMC struct {
	LambdaPerSec float64 // arrival rate λ
	MuPerSec     float64 // service rate of one server μ = 1/E[holding time]
	Servers      int     // c
}

// NewMMC checks that the queue is stable (ρ = λ/(cμ) < 1): theory has no
// steady state otherwise, the queue grows without bound.
func NewMMC(lambdaPerSec, muPerSec float64, servers int) (MMC, error) {
	m := MMC{LambdaPerSec: lambdaPerSec, MuPerSec: muPerSec, Servers: servers}
	switch {
	case !(lambdaPerSec > 0) || math.IsInf(lambdaPerSec, 0):
		return m, fmt.Errorf("queueing: theory: arrival rate λ=%v/s must be positive", lambdaPerSec)
	case !(muPerSec > 0) || math.IsInf(muPerSec, 0):
		return m, fmt.Errorf("queueing: theory: service rate μ=%v/s must be positive (is the mean holding time finite?)", muPerSec)
	case servers < 1:
		return m, fmt.Errorf("queueing: theory: Servers=%d must be at least 1", servers)
	case m.Rho() >= 1:
		return m, fmt.Errorf("queueing: theory: utilisation ρ=%.3g must be below 1 (λ=%.4g/s, c=%d, μ=%.4g/s); the queue grows without bound", m.Rho(), lambdaPerSec, servers, muPerSec)
	}
	return m, nil
}

// Rho is the utilisation of each server, λ/(cμ).
func (m MMC) Rho() float64 { return m.LambdaPerSec / (float64(m.Servers) * m.MuPerSec) }

// ErlangC is the probability that an arrival has to wait, C(c, a) with
// offered load a = λ/μ. It is computed from Erlang B by the recursion
// B(k) = a·B(k-1) / (k + a·B(k-1)), which stays accurate for thousands of
// servers where the textbook sum of a^k/k! overflows. Cost: O(c).
func (m MMC) ErlangC() float64 {
	a := m.LambdaPerSec / m.MuPerSec
	b := 1.0
	for k := 1; k <= m.Servers; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := m.Rho()
	return b / (1 - rho*(1-b))
}

// Lq is the mean number waiting in the queue: C·ρ/(1-ρ).
func (m MMC) Lq() float64 { return m.ErlangC() * m.Rho() / (1 - m.Rho()) }

// L is the mean number in the system: Lq + λ/μ.
func (m MMC) L() float64 { return m.Lq() + m.LambdaPerSec/m.MuPerSec }

// Wq is the mean wait in the queue: C/(cμ-λ) (Little's law on Lq).
func (m MMC) Wq() time.Duration { return seconds(m.wq()) }

func (m MMC) wq() float64 { return m.ErlangC() / (float64(m.Servers)*m.MuPerSec - m.LambdaPerSec) }

// W is the mean time in the system: Wq + 1/μ.
func (m MMC) W() time.Duration { return seconds(m.wq() + 1/m.MuPerSec) }

// WaitQuantile is the q-quantile of the wait in queue. The wait is zero with
// probability 1-C and exponential with rate cμ-λ otherwise, so
// P(Wq > t) = C·e^{-(cμ-λ)t}, and the quantile is ln(C/(1-q))/(cμ-λ) when
// C > 1-q, else zero.
func (m MMC) WaitQuantile(q float64) time.Duration {
	c := m.ErlangC()
	if c <= 1-q {
		return 0
	}
	return seconds(math.Log(c/(1-q)) / (float64(m.Servers)*m.MuPerSec - m.LambdaPerSec))
}

// ServersNeeded returns the fewest servers for which the mean wait in queue
// of an M/M/c queue is at most target: capacity planning's first question.
// It searches up from the smallest stable count; cost O(c²) in the answer.
func ServersNeeded(lambdaPerSec, muPerSec float64, target time.Duration) (int, error) {
	if target <= 0 {
		return 0, fmt.Errorf("queueing: theory: target wait %v must be positive", target)
	}
	if !(lambdaPerSec > 0) || !(muPerSec > 0) || math.IsInf(lambdaPerSec, 0) || math.IsInf(muPerSec, 0) {
		return 0, fmt.Errorf("queueing: theory: rates λ=%v/s and μ=%v/s must be positive", lambdaPerSec, muPerSec)
	}
	c := int(math.Floor(lambdaPerSec/muPerSec)) + 1
	for ; c <= maxServers; c++ {
		if m, err := NewMMC(lambdaPerSec, muPerSec, c); err == nil && m.wq() <= target.Seconds() {
			return c, nil
		}
	}
	return 0, fmt.Errorf("queueing: theory: more than %d servers needed", maxServers)
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }
