"""Submission tests: the real tarball, unpacked and played as Kaggle plays it."""
