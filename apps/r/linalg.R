# R's linear algebra on whatever BLAS/LAPACK R has loaded: each check asserts a
# residual of the Netlib test kind (||residual|| / (n ulp ||A||) below a threshold) and
# writes the numbers that do not depend on sign conventions (singular values,
# eigenvalues, determinants, solutions, condition estimates, norms, R's error messages)
# to the file named by the first argument, for apps/r/run.py to compare between
# libraries. Prints "N passed, M failed".

args <- commandArgs(trailingOnly = TRUE)
out_file <- args[1]
expect <- Sys.getenv("EXPECT_LIB")
if (nzchar(expect)) {
  maps <- readLines("/proc/self/maps")
  if (!any(grepl(expect, maps, fixed = TRUE))) {
    cat(expect, "is not mapped in this R process\n")
    quit(status = 2)
  }
  cat("verified:", expect, "is mapped\n")
}

passed <- 0L
failed <- 0L
results <- list()
ulp <- .Machine$double.eps
threshold <- 30

check <- function(name, ratio) {
  ok <- is.finite(ratio) && ratio < threshold
  if (ok) passed <<- passed + 1L else {
    failed <<- failed + 1L
    cat("FAILED:", name, "ratio", format(ratio), "\n")
  }
}

# A value to compare between libraries (relative tolerance `rtol`).
record <- function(name, value, rtol = 1e-10) {
  results[[name]] <<- list(value = as.vector(value), rtol = rtol)
}

norm1 <- function(x) max(colSums(Mod(x)))
ortho_ratio <- function(q) norm1(Conj(t(q)) %*% q - diag(ncol(q))) / (ncol(q) * ulp)

set.seed(20261129)
for (n in c(1, 3, 8, 40, 150, 400)) {
  a <- matrix(rnorm(n * n), n)
  b <- matrix(rnorm(n * 3), n)
  an <- norm1(a)
  tag <- paste0("n", n)

  x <- solve(a, b)                                      # dgesv
  check(paste(tag, "solve"), norm1(a %*% x - b) / (n * ulp * an * norm1(x)))
  record(paste(tag, "solve"), x, 1e-8)
  ai <- solve(a)                                        # dgesv with B = I
  check(paste(tag, "inverse"), norm1(a %*% ai - diag(n)) / (n * ulp * an * norm1(ai)))
  record(paste(tag, "det"), determinant(a)$modulus, 1e-10)  # dgetrf
  record(paste(tag, "rcond"), rcond(a), 1e-6)          # dgecon
  record(paste(tag, "norms"), c(norm(a, "1"), norm(a, "I"), norm(a, "F"), norm(a, "M")), 1e-13)

  s <- crossprod(a) + diag(n)                           # dsyrk
  r <- chol(s)                                          # dpotrf
  check(paste(tag, "chol"), norm1(crossprod(r) - s) / (n * ulp * norm1(s)))
  si <- chol2inv(r)                                     # dpotri
  check(paste(tag, "chol2inv"), norm1(s %*% si - diag(n)) / (n * ulp * norm1(s) * norm1(si)))
  rp <- suppressWarnings(chol(s, pivot = TRUE))         # dpstrf
  p <- attr(rp, "pivot")
  check(paste(tag, "chol pivot"), norm1(crossprod(rp) - s[p, p]) / (n * ulp * norm1(s)))
  record(paste(tag, "chol pivot rank"), attr(rp, "rank"), 0)

  z <- backsolve(r, b)                                  # dtrsm
  check(paste(tag, "backsolve"), norm1(r %*% z - b) / (n * ulp * norm1(r) * norm1(z)))

  sv <- svd(a)                                          # dgesdd
  check(paste(tag, "svd"), norm1(sv$u %*% (sv$d * t(sv$v)) - a) / (n * ulp * an))
  check(paste(tag, "svd U"), ortho_ratio(sv$u))
  check(paste(tag, "svd V"), ortho_ratio(sv$v))
  record(paste(tag, "singular values"), sv$d, 1e-12)

  e <- eigen(s, symmetric = TRUE)                       # dsyevr
  check(paste(tag, "eigen sym"), norm1(s %*% e$vectors - e$vectors %*% diag(e$values, n)) /
          (n * ulp * norm1(s)))
  check(paste(tag, "eigen sym Q"), ortho_ratio(e$vectors))
  record(paste(tag, "eigenvalues sym"), e$values, 1e-12)

  g <- eigen(a)                                         # dgeev
  v <- g$vectors
  check(paste(tag, "eigen"), norm1(a %*% v - v %*% diag(g$values, n)) / (n * ulp * an))
  ev <- g$values[order(Re(g$values), Im(g$values))]
  record(paste(tag, "eigenvalues"), c(Re(ev), Im(ev)), 1e-8)

  q <- qr(a, LAPACK = TRUE)                             # dgeqp3, dormqr, dorgqr
  qq <- qr.Q(q)
  check(paste(tag, "qr"), norm1(qq %*% qr.R(q) - a[, q$pivot]) / (n * ulp * an))
  check(paste(tag, "qr Q"), ortho_ratio(qq))
  xq <- qr.coef(q, b)
  check(paste(tag, "qr.coef"), norm1(a %*% xq - b) / (n * ulp * an * norm1(xq)))

  ql <- qr(a)                                           # LINPACK dqrdc2 on the BLAS
  check(paste(tag, "qr linpack"), norm1(qr.Q(ql) %*% qr.R(ql) - a[, ql$pivot]) / (n * ulp * an))

  ac <- matrix(complex(real = rnorm(n * n), imaginary = rnorm(n * n)), n)
  bc <- matrix(complex(real = rnorm(n), imaginary = rnorm(n)), n)
  xc <- solve(ac, bc)                                   # zgesv
  check(paste(tag, "solve complex"), norm1(ac %*% xc - bc) / (n * ulp * norm1(ac) * norm1(xc)))
  svc <- svd(ac)                                        # zgesdd
  check(paste(tag, "svd complex"),
        norm1(svc$u %*% (svc$d * Conj(t(svc$v))) - ac) / (n * ulp * norm1(ac)))
  record(paste(tag, "singular values complex"), svc$d, 1e-12)
  h <- ac + Conj(t(ac))
  eh <- eigen(h, symmetric = TRUE)                      # zheev
  check(paste(tag, "eigen hermitian"),
        norm1(h %*% eh$vectors - eh$vectors %*% diag(eh$values, n)) / (n * ulp * norm1(h)))
  gc <- eigen(ac)                                       # zgeev
  check(paste(tag, "eigen complex"),
        norm1(ac %*% gc$vectors - gc$vectors %*% diag(gc$values, n)) / (n * ulp * norm1(ac)))

  y <- a %*% rnorm(n) + rnorm(n) * 1e-3                 # lm: LINPACK QR on the BLAS
  fit <- lm.fit(a, drop(y))
  record(paste(tag, "lm coefficients"), fit$coefficients, 1e-6)
  record(paste(tag, "kappa"), kappa(a, exact = TRUE), 1e-8)
}

# INFO > 0 turns into R's messages, which quote the reference's INFO.
message_of <- function(expr) tryCatch({ expr; "no error" }, error = function(e) conditionMessage(e))
record("singular solve", message_of(solve(matrix(c(1, 2, 2, 4), 2))), 0)
record("not positive definite", message_of(chol(matrix(c(1, 2, 2, 1), 2))), 0)
record("singular 3x3", message_of(solve(matrix(c(1, 0, 0, 0, 0, 0, 0, 0, 1), 3))), 0)
check("singular solve is an error", if (grepl("singular", results[["singular solve"]]$value)) 0 else Inf)
check("chol error", if (grepl("not positive", results[["not positive definite"]]$value)) 0 else Inf)

saveRDS(results, out_file)
cat(passed, "passed,", failed, "failed\n")
quit(status = if (failed == 0) 0 else 1)
