% Runs Octave's own tests of its linear algebra (the built-in functions' .cc-tst files
% and the m-files of scripts/linear-algebra), printing one line per file and at the end
% "N passed, M failed". With EXPECT_LIB set, first checks that this Octave process has
% that library mapped (so the tests really ran on it).
1;

function files = linalg_test_files ()
  tests = fullfile (OCTAVE_HOME, "share", "octave", version, "etc", "tests");
  builtin = {"chol", "det", "eig", "gsvd", "hess", "inv", "lu", "qr", "qz", "ordqz", ...
             "ordschur", "pinv", "rcond", "schur", "sqrtm", "svd", "sylvester", ...
             "mgorth", "givens", "dot", "kron", "__eigs__", "matrix_type", "data", ...
             "balance", "xnorm"};
  files = {};
  for k = 1:numel (builtin)
    f = fullfile (tests, "libinterp", "corefcn", [builtin{k} ".cc-tst"]);
    if (exist (f, "file"))
      files{end+1} = f;
    endif
  endfor
  for name = {"dMatrix", "CMatrix", "fMatrix", "fCMatrix"}
    files{end+1} = fullfile (tests, "liboctave", "array", [name{1} ".cc-tst"]);
  endfor
  mdir = fullfile (OCTAVE_HOME, "share", "octave", version, "m", "linear-algebra");
  m = dir (fullfile (mdir, "*.m"));
  for k = 1:numel (m)
    files{end+1} = fullfile (mdir, m(k).name);
  endfor
  % Functions elsewhere whose tests lean on LAPACK: matrix powers, least squares, expm's
  % relatives, the sparse solvers' dense fallbacks.
  for name = {"general/cross.m", "general/null.m", "general/orth.m", "general/rank.m", ...
              "specfun/nchoosek.m", "polynomial/roots.m", "polynomial/polyfit.m", ...
              "polynomial/residue.m", "optimization/lsqnonneg.m", "optimization/fminsearch.m", ...
              "statistics/cov.m", "sparse/eigs.m", "sparse/svds.m"}
    f = fullfile (OCTAVE_HOME, "share", "octave", version, "m", name{1});
    if (exist (f, "file"))
      files{end+1} = f;
    endif
  endfor
endfunction

expect = getenv ("EXPECT_LIB");
if (! isempty (expect))
  maps = fileread ("/proc/self/maps");
  if (isempty (strfind (maps, expect)))
    printf ("%s is not mapped in this Octave process\n", expect);
    exit (2);
  endif
  printf ("verified: %s is mapped\n", expect);
endif

files = linalg_test_files ();
total_passed = 0;
total_failed = 0;
for k = 1:numel (files)
  [p, n, xf, xb, sk, rtsk, rgrs] = test (files{k}, "quiet", stdout);
  failed = n - p - xf - xb - rgrs;
  [~, name, ext] = fileparts (files{k});
  printf ("%-22s %4d passed %3d failed %3d known %3d skipped\n", [name ext], p, failed, ...
          xf + xb, sk + rtsk);
  total_passed += p;
  total_failed += failed;
endfor
printf ("%d passed, %d failed\n", total_passed, total_failed);
exit (total_failed > 0);
