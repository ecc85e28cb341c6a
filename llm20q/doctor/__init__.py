"""``llm20q doctor``: what to run before submitting. Model checks (:mod:`llm20q.doctor.model`) and
tarball checks (:mod:`llm20q.doctor.tarball`), each a :class:`llm20q.doctor.checks.Check` that names
its fix; the command (:mod:`llm20q.doctor.cli`) prints a table or JSON, exit 1 on a problem."""
