! A Fortran program linked with -llapack_ai: DGEMM and DGESV through the Fortran ABI.
program solve
  implicit none
  double precision :: a(3,3), b(3), c(3,3), eye(3,3)
  integer :: ipiv(3), info, i
  a = reshape([4d0, 1d0, 0d0, 1d0, 4d0, 1d0, 0d0, 1d0, 4d0], [3, 3])
  eye = 0d0
  do i = 1, 3
    eye(i, i) = 1d0
  end do
  call dgemm('N', 'N', 3, 3, 3, 1d0, a, 3, eye, 3, 0d0, c, 3)
  if (maxval(abs(c - a)) > 0d0) stop 1
  b = matmul(a, [1d0, 2d0, 3d0])
  call dgesv(3, 1, a, 3, ipiv, b, 3, info)
  if (info /= 0 .or. maxval(abs(b - [1d0, 2d0, 3d0])) > 1d-13) stop 2
  print '(a)', 'ok: fortran dgemm and dgesv'
end program solve
