# Golden values for clusterlib's Firth logit (tests/innovation/test_separation.py).
#
# Peer implementation: R's brglm2 (Kosmidis), Debian's r-cran-brglm2: glm(method = "brglmFit",
# type = "AS_mean") is Firth's (1993) bias-reduced logit, the estimator of logistf. Run:
#   Rscript tests/golden/firth.R
# Inputs: tests/data/endometrial.csv (Heinze & Schemper 2002, quasi-complete separation by NV)
# and a completely separated toy set written below (x = -3..3 without 0, y = x > 0, plus a
# noise regressor). Output: tests/golden/firth.csv (data, term, what, value).
suppressPackageStartupMessages(library(brglm2))
endo <- read.csv("tests/data/endometrial.csv")
toy <- data.frame(x = c(-3, -2, -1, 1, 2, 3), z = c(0.5, -1, 2, 0, 1, -0.5),
                  y = c(0, 0, 0, 1, 1, 1))
write.csv(toy, "tests/data/firth_toy.csv", row.names = FALSE)
rows <- list()
add <- function(name, fit) {
  est <- coef(fit)
  se <- sqrt(diag(vcov(fit)))
  rows[[length(rows) + 1]] <<- data.frame(data = name, term = names(est), what = "estimate",
                                          value = unname(est))
  rows[[length(rows) + 1]] <<- data.frame(data = name, term = names(est), what = "se",
                                          value = unname(se))
  mu <- fitted(fit)
  y <- fit$y
  rows[[length(rows) + 1]] <<- data.frame(data = name, term = "", what = "loglik",
                                          value = sum(y * log(mu) + (1 - y) * log(1 - mu)))
}
ctl <- brglmControl(epsilon = 1e-12, maxit = 500)
add("endometrial", glm(HG ~ NV + PI + EH, family = binomial("logit"), data = endo,
                       method = "brglmFit", type = "AS_mean", control = ctl))
add("toy", glm(y ~ x + z, family = binomial("logit"), data = toy,
               method = "brglmFit", type = "AS_mean", control = ctl))
out <- do.call(rbind, rows)
write.csv(out, "tests/golden/firth.csv", row.names = FALSE)
print(out, digits = 12)
