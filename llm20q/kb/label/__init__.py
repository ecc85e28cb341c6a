"""LLM labels for the knowledge folder's answer table: p(yes | candidate, question) from a model.

:mod:`.labeller` (the label prompt and the core call, in process for ``kb build --label-with``),
:mod:`.plan` (a labelling run: what to label, its folder of finished shards), :mod:`.run` (the
shards labelled on Ray actors), :mod:`.merge` (labels pooled into a new knowledge folder) and
:mod:`.cli` (``llm20q kb label`` and ``llm20q kb merge``). The rest of :mod:`llm20q.kb` builds
the folder; it calls this package only through :func:`.labeller.property_rows` and
:func:`.labeller.model_id`.
"""
