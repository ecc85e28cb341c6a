"""Submission helpers run by ``build_submission.sh``: the runtime lock and wheel checks
(``runtime_deps``) and the reproducible packer (``pack``). Standard library and ``packaging``
only, so any Python that builds a tarball can run them."""
