"""`python -m lapack_py doctor`: see lapack_py.doctor."""

import sys


def main(argv):
    if argv[1:2] == ["doctor"]:
        from .doctor import report

        report()
        return 0
    print("usage: python -m lapack_py doctor", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
