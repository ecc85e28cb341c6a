"""The planner: numpy over the knowledge folder, no model. ``store`` reads the folder,
``knowledge`` finds it and shares one copy per process, ``index`` precomputes what every move
needs (a question's feature and p(yes) per candidate come from its kind, :mod:`agent.kinds`),
``features`` lists a keyword's spelling variants, ``posterior`` holds the evidence, ``belief``
weighs it, ``gains`` scores the bank's questions, ``alpha`` / ``questions`` choose the next
question and ``planner`` puts them together with the guess. No two of these import each other
in a circle (import-linter's ``acyclic_siblings``)."""
