"""The planner: numpy over the knowledge folder, no model. ``store`` reads the folder,
``knowledge`` finds it and shares one copy per process, ``index`` precomputes what every move
needs, ``features`` reads questions, ``posterior`` holds the evidence and ``planner`` chooses the
next question and guess."""
