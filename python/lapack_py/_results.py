"""Named results, as NumPy 2 returns them (tuples, so `u, s, vh = svd(a)` works too)."""

from collections import namedtuple

SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
EigResult = namedtuple("EigResult", ["eigenvalues", "eigenvectors"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
QRResult = namedtuple("QRResult", ["Q", "R"])
LstsqResult = namedtuple("LstsqResult", ["x", "residuals", "rank", "singular_values"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
