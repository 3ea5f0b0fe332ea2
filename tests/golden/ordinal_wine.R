# Golden values for clusterlib's ordered logit and its AMEs of a dummy (tests/innovation/test_golden_r.py).
#
# Peer implementation: R's ordinal::clm (Christensen 2019) on the wine data of Randall (1989), the
# package's own published example (Christensen, "Cumulative link models for ordinal regression
# with the R package ordinal", J. Stat. Softw., clm(rating ~ temp + contact): tempwarm 2.5031,
# contactyes 1.5278). Run with Debian's r-base-core and r-cran-ordinal:
#   Rscript tests/golden/ordinal_wine.R
# It writes tests/data/wine.csv (the data) and tests/golden/ordinal_wine.csv (the values).
#
# The AMEs are computed here independently of clusterlib: the average over the 72 tastings of
# P(rating = j | contact = yes) - P(rating = j | contact = no) from clm's estimates, with a
# delta-method SE from a central-difference Jacobian and clm's vcov. The binary logit (rating >= 4)
# AME of contact likewise, from glm.
suppressPackageStartupMessages(library(ordinal))
data(wine)
out <- data.frame(rating = as.integer(wine$rating), warm = as.integer(wine$temp == "warm"),
                  contact = as.integer(wine$contact == "yes"))
write.csv(out, "tests/data/wine.csv", row.names = FALSE)

fit <- clm(factor(rating) ~ warm + contact, data = out, control = clm.control(gradTol = 1e-12))
theta <- coef(fit)            # 4 thresholds, then warm, contact
V <- vcov(fit)
probs <- function(theta, warm, contact) {
  eta <- theta[5] * warm + theta[6] * contact
  F <- sapply(theta[1:4], function(cut) plogis(cut - eta))
  F <- cbind(0, F, 1)
  F[, 2:6] - F[, 1:5]
}
ame <- function(theta) colMeans(probs(theta, out$warm, 1) - probs(theta, out$warm, 0))
jac <- function(f, theta) {
  sapply(seq_along(theta), function(j) {
    h <- 1e-6; e <- replace(numeric(length(theta)), j, h)
    (f(theta + e) - f(theta - e)) / (2 * h)
  })
}
a <- ame(theta)
J <- jac(ame, theta)
a_se <- sqrt(diag(J %*% V %*% t(J)))

high <- as.integer(out$rating >= 4)
g <- glm(high ~ warm + contact, family = binomial, data = cbind(out, high = high),
         control = glm.control(epsilon = 1e-14, maxit = 100))
b <- coef(g)
bame <- function(b) mean(plogis(b[1] + b[2] * out$warm + b[3]) - plogis(b[1] + b[2] * out$warm))
Jb <- jac(bame, b)
b_se <- sqrt(drop(Jb %*% vcov(g) %*% Jb))

vals <- rbind(
  data.frame(what = "clm_coef", term = names(theta), value = unname(theta)),
  data.frame(what = "clm_se", term = names(theta), value = unname(sqrt(diag(V)))),
  data.frame(what = "clm_logLik", term = "", value = as.numeric(logLik(fit))),
  # the thresholds-only model: the null log-likelihood of McFadden's pseudo-R2
  data.frame(what = "clm_null_logLik", term = "",
             value = as.numeric(logLik(clm(factor(rating) ~ 1, data = out)))),
  data.frame(what = "glm_null_logLik", term = "",
             value = as.numeric(logLik(glm(high ~ 1, family = binomial,
                                           data = cbind(out, high = high))))),
  data.frame(what = "clm_max_gradient", term = "", value = max(abs(fit$gradient))),
  data.frame(what = "ologit_ame_contact", term = paste0("rating=", 1:5), value = unname(a)),
  data.frame(what = "ologit_ame_contact_se", term = paste0("rating=", 1:5), value = unname(a_se)),
  data.frame(what = "glm_coef", term = names(b), value = unname(b)),
  data.frame(what = "logit_ame_contact", term = "contact", value = bame(b)),
  data.frame(what = "logit_ame_contact_se", term = "contact", value = b_se)
)
write.csv(vals, "tests/golden/ordinal_wine.csv", row.names = FALSE)
print(vals, digits = 12)
