# Golden values for clusterlib's fit_model: every GLM family and every covariance type
# (tests/test_glm_golden.py).
#
# Peer implementation: R's glm (stats), MASS::glm.nb and the sandwich package (Zeileis), run with
# Debian's r-base-core, r-cran-mass and r-cran-sandwich:
#   Rscript tests/golden/glm_families.R
# It writes tests/data/quine.csv (MASS's quine data: days absent from school, Venables & Ripley,
# Modern Applied Statistics with S, the standard negative binomial example) and
# tests/golden/glm_families.csv.
#
# Data: the 60 SYNTHETIC firms of tests/data/example_weighting.csv (binary and fractional
# outcomes) and quine (counts).
#
# Covariances: V = B M B. For the canonical links (logit, fractional logit, Poisson) the observed
# and expected information coincide, and sandwich::vcovHC / vcovCL give V directly. clusterlib's
# bread is the inverse *observed* information (see models.py); for probit and NB2 that differs
# from glm's expected information, so there B is computed here from the analytic observed
# Hessian (formulas below), independently of clusterlib, and the meat from sandwich::estfun (the
# score contributions) and hatvalues (the GLM leverages, from the IRLS weights as in
# sandwich::vcovHC):
#   HC0: M = sum s_i s_i'   HC1: n/(n-k) HC0   HC2: s_i / sqrt(1-h_i)   HC3: s_i / (1-h_i)
#   cluster: M = G/(G-1) (n-1)/(n-k) sum_g S_g S_g'  (vcovCL(type = "HC1"))
suppressPackageStartupMessages({ library(MASS); library(sandwich) })

firms <- read.csv("tests/data/example_weighting.csv")
data(quine)
write.csv(quine, "tests/data/quine.csv", row.names = FALSE)

rows <- list()
add <- function(model, what, values) {
  rows[[length(rows) + 1]] <<- data.frame(model = model, what = what,
                                          i = seq_along(values), value = unname(values))
}

covs <- function(model, fit, B, S, cluster) {
  n <- nrow(S); k <- ncol(S)
  h <- hatvalues(fit)
  add(model, "nonrobust", as.vector(B))
  add(model, "HC0", as.vector(B %*% crossprod(S) %*% B))
  add(model, "HC1", as.vector(n / (n - k) * B %*% crossprod(S) %*% B))
  add(model, "HC2", as.vector(B %*% crossprod(S / sqrt(1 - h)) %*% B))
  add(model, "HC3", as.vector(B %*% crossprod(S / (1 - h)) %*% B))
  Sg <- rowsum(S, cluster)
  G <- nrow(Sg)
  add(model, "cluster", as.vector(G / (G - 1) * (n - 1) / (n - k) * B %*% crossprod(Sg) %*% B))
}

binary <- function(model, link) {
  f <- glm(product_innovation ~ rd_inhouse + coop_universities + log(employees),
           family = binomial(link = link), data = firms,
           control = glm.control(epsilon = 1e-14, maxit = 100))
  X <- model.matrix(f); y <- firms$product_innovation
  if (link == "logit") {
    B <- summary(f)$cov.unscaled  # canonical link: expected = observed information
  } else {
    # probit: -d2 l_i / d eta^2 = phi [y (phi + eta Phi) / Phi^2 + (1 - y) (phi - eta (1 - Phi)) /
    # (1 - Phi)^2] (e.g. Greene, Econometric Analysis, the probit Hessian)
    eta <- drop(X %*% coef(f)); P <- pnorm(eta); d <- dnorm(eta)
    w <- d * (y * (d + eta * P) / P^2 + (1 - y) * (d - eta * (1 - P)) / (1 - P)^2)
    B <- solve(crossprod(X * sqrt(w)))
  }
  add(model, "coef", coef(f))
  add(model, "loglik", as.numeric(logLik(f)))
  add(model, "null_loglik", as.numeric(logLik(update(f, . ~ 1))))
  covs(model, f, B, estfun(f), firms$size_class)
  if (link == "logit") {  # canonical: sandwich's own estimators must agree with the above
    add("logit_sandwich", "HC0", as.vector(vcovHC(f, type = "HC0")))
    add("logit_sandwich", "HC3", as.vector(vcovHC(f, type = "HC3")))
    add("logit_sandwich", "cluster",
        as.vector(vcovCL(f, cluster = ~size_class, type = "HC1", cadjust = TRUE)))
  }
}
binary("logit", "logit")
binary("probit", "probit")

# fractional logit (Papke-Wooldridge): binomial quasi-likelihood of a share
fl <- suppressWarnings(glm(export_share ~ rd_inhouse + log(employees), family = binomial,
                           data = firms, control = glm.control(epsilon = 1e-14, maxit = 100)))
add("fraclogit", "coef", coef(fl))
covs("fraclogit", fl, summary(fl)$cov.unscaled, estfun(fl), firms$size_class)

# counts
pois <- glm(Days ~ Eth + Sex + Age + Lrn, family = poisson, data = quine,
            control = glm.control(epsilon = 1e-14, maxit = 100))
add("poisson", "coef", coef(pois))
add("poisson", "loglik", as.numeric(logLik(pois)))
add("poisson", "null_loglik", as.numeric(logLik(update(pois, . ~ 1))))
covs("poisson", pois, summary(pois)$cov.unscaled, estfun(pois), quine$Age)
add("poisson_sandwich", "HC1", as.vector(vcovHC(pois, type = "HC1")))

nb <- glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine,
             control = glm.control(epsilon = 1e-14, maxit = 100))
add("negbin", "coef", coef(nb))
add("negbin", "alpha", 1 / nb$theta)
add("negbin", "loglik", as.numeric(logLik(nb)))
# NB2 at theta, log link: -d2 l_i / d eta^2 = theta mu (theta + y) / (mu + theta)^2
Xq <- model.matrix(nb); yq <- quine$Days; th <- nb$theta; mu <- fitted(nb)
wq <- th * mu * (th + yq) / (mu + th)^2
covs("negbin", nb, solve(crossprod(Xq * sqrt(wq))), estfun(nb), quine$Age)

out <- do.call(rbind, rows)
write.csv(out, "tests/golden/glm_families.csv", row.names = FALSE)
cat(nrow(out), "values written\n")
