// Package propose proposes pairings in batches (批量推荐): for every open
// supply-chain need, financing need and technology need it asks the
// matching engine for the best candidate organisations, then chooses the
// proposals as a maximum-weight b-matching, so that each record gets at
// most a few proposals and each organisation at most its weekly capacity.
// Proposing every record's top candidates instead would send a few popular
// suppliers nearly every proposal; the b-matching spreads them while giving
// up as little total score as the capacities allow.
package propose
