# Golden values for clusterlib.stakeholders.kendalls_w (tests/stakeholders/test_agreement.py).
#
# Peer implementation: R's friedman.test (package stats of r-base-core 4.2), whose statistic
# carries the tie correction; Kendall's W with the tie correction is W = chi2_F / (m (n - 1)),
# m experts (blocks, rows), n actions (groups, columns). Run:
#   Rscript tests/golden/kendall_w.R
# Output: tests/golden/kendall_w_scores.csv (the score matrices, long: case, expert, action,
# score) and tests/golden/kendall_w.csv (case, m, n, chi2, df, p, W).
cases <- list(
  # the two hand calculations of tests/stakeholders/test_agreement.py
  hand_no_ties = matrix(c(1, 2, 3, 4,  2, 1, 3, 4,  1, 3, 2, 4), nrow = 3, byrow = TRUE),
  hand_ties = matrix(c(5, 5, 3, 1,  4, 4, 4, 2,  5, 3, 4, 2), nrow = 3, byrow = TRUE),
  # one expert gives every action the same score (all of its ranks tied)
  one_flat_expert = matrix(c(3, 3, 3, 3, 3,  1, 2, 3, 4, 5,  2, 1, 4, 3, 5), nrow = 3, byrow = TRUE)
)
set.seed(20260528)
shapes <- list(c(5, 4), c(8, 8), c(12, 6), c(4, 10), c(20, 3), c(7, 12))
for (k in seq_along(shapes)) {
  m <- shapes[[k]][1]; n <- shapes[[k]][2]
  # scores 1-5, as experts give them: many ties
  cases[[sprintf("random_%d_%dx%d", k, m, n)]] <- matrix(sample(1:5, m * n, replace = TRUE), nrow = m)
}
long <- NULL
out <- NULL
for (name in names(cases)) {
  x <- cases[[name]]
  m <- nrow(x); n <- ncol(x)
  ft <- friedman.test(x)
  chi2 <- unname(ft$statistic)
  out <- rbind(out, data.frame(case = name, m = m, n = n, chi2 = chi2, df = unname(ft$parameter),
                               p = ft$p.value, W = chi2 / (m * (n - 1))))
  long <- rbind(long, data.frame(case = name, expert = rep(sprintf("E%02d", 1:m), times = n),
                                 action = rep(sprintf("A%02d", 1:n), each = m), score = as.vector(x)))
}
write.csv(long, "tests/golden/kendall_w_scores.csv", row.names = FALSE)
write.csv(out, "tests/golden/kendall_w.csv", row.names = FALSE)
