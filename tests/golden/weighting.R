# Golden values for clusterlib's survey weights and weighted tables (tests/innovation/test_weights.py).
#
# Peer implementation: R's survey package (Lumley), Debian's r-cran-survey 4.1. Run:
#   Rscript tests/golden/weighting.R
# Input: tests/data/example_weighting.csv (the SYNTHETIC example questionnaire imported by
# clusterlib: `clusterlib survey example`, then import_questionnaire; a few columns) and
# tests/data/example_margins.csv (its margins: local units by division from Eurostat, illustrative
# size-class counts). Output: tests/golden/weighting.csv.
suppressPackageStartupMessages(library(survey))
d <- read.csv("tests/data/example_weighting.csv", stringsAsFactors = FALSE)
m <- read.csv("tests/data/example_margins.csv", stringsAsFactors = FALSE)
pop <- function(v) { x <- m[m$variable == v, ]; df <- data.frame(x$category, x$count); names(df) <- c(v, "Freq"); df }

base <- svydesign(ids = ~1, weights = ~rep(1, nrow(d)), data = d)
raked <- rake(base, list(~nace, ~size_class), list(pop("nace"), pop("size_class")),
              control = list(maxit = 1000, epsilon = 1e-12, verbose = FALSE))
w <- weights(raked)

ps <- postStratify(base, ~size_class, pop("size_class"))
wps <- weights(ps)

# weighted shares and SEs on the design with these weights (no calibration adjustment)
des <- svydesign(ids = ~1, weights = ~w, data = cbind(d, w = w))
vals <- data.frame(what = "rake_weight", term = d$firm_id, value = unname(w))
vals <- rbind(vals, data.frame(what = "poststratify_weight", term = d$firm_id, value = unname(wps)))
for (v in c("product_innovation", "coop_universities", "exporter", "foreign_owned", "export_share")) {
  f <- as.formula(paste0("~", v))
  est <- svymean(f, des)
  vals <- rbind(vals, data.frame(what = "svymean", term = v, value = unname(coef(est))),
                data.frame(what = "svymean_se", term = v, value = unname(SE(est))))
}
for (v in c("coop_universities", "foreign_owned")) {
  ci <- svyciprop(as.formula(paste0("~", v)), des, method = "beta", level = 0.95)
  vals <- rbind(vals, data.frame(what = "svyciprop_beta_low", term = v, value = unname(confint(ci)[1])),
                data.frame(what = "svyciprop_beta_high", term = v, value = unname(confint(ci)[2])))
}
# by size class
by <- svyby(~product_innovation, ~size_class, des, svymean)
vals <- rbind(vals, data.frame(what = "svyby_mean", term = by$size_class, value = by$product_innovation),
              data.frame(what = "svyby_se", term = by$size_class, value = SE(by)))
write.csv(vals, "tests/golden/weighting.csv", row.names = FALSE)
print(tail(vals, 24), digits = 12)

# weighted logit (pseudo-ML) and its design-based SEs (glm converged to 1e-14: R computes the
# covariance from the last IRLS step, which at the default 1e-8 lags the estimate by ~1e-4); the AME of rd_inhouse (a dummy) as the
# weighted average of the discrete change, computed here by hand from svyglm's coefficients
g <- svyglm(product_innovation ~ rd_inhouse + exporter + log(employees), design = des,
            family = quasibinomial(), control = glm.control(epsilon = 1e-14, maxit = 100))
b <- coef(g)
X1 <- cbind(1, 1, d$exporter, log(d$employees)); X0 <- cbind(1, 0, d$exporter, log(d$employees))
ame <- sum(w * (plogis(X1 %*% b) - plogis(X0 %*% b))) / sum(w)
vals2 <- rbind(data.frame(what = "svyglm_coef", term = names(b), value = unname(b)),
               data.frame(what = "svyglm_se", term = names(b), value = unname(SE(g))),
               data.frame(what = "svyglm_ame_rd_inhouse", term = "rd_inhouse", value = ame))
write.csv(rbind(vals, vals2), "tests/golden/weighting.csv", row.names = FALSE)
print(vals2, digits = 12)
