"""The knowledge builder (``llm20q kb build``): WordNet, word lists and an optional LLM ->
the knowledge folder the agent's planner reads (:mod:`agent.planner.store`).

Modules, in build order: :mod:`.wordnet` and :mod:`.sources` (readers), :mod:`.senses` (sense
distributions), :mod:`.lexicon` (candidates and prior), :mod:`.questions` (the question bank),
:mod:`.taxonomy` and :mod:`.label` (the answer table's rows: LLM labelling, its own package),
:mod:`.output` (the files), :mod:`.build` (the steps), :mod:`.options` and :mod:`.cli` (what
the command line sets); :mod:`.prior` (``kb fit-prior``) and :mod:`.agreement` (``kb
agreement``) read a built folder.
"""
