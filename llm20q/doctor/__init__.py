"""``llm20q doctor``: what to run before submitting. Model checks (:mod:`llm20q.doctor.model`, with
speed and the slowest move in :mod:`llm20q.doctor.speed`) and tarball checks
(:mod:`llm20q.doctor.tarball`), each a :class:`llm20q.doctor.checks.Check` in plain words that
names its fix; the command (:mod:`llm20q.doctor.cli`) prints each as it finishes, then the verdict
derived from them ("ready for Kaggle: yes / only on a GPU / no"), or JSON; exit 1 on a no."""
