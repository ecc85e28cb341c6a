"""A llama.cpp agent for Kaggle's LLM 20 Questions: exactly what ships in the submission.

Layers, bottom to top (a module imports only from its own layer or below; import-linter checks it,
see ``pyproject.toml``). Each module's docstring says what it does and which shortcuts it takes.

- ``agent.game``, ``agent.settings``  observations, roles, turns, the seat's state machine, the
                                      judge's limits and guess matching; every tunable
- ``agent.rules``, ``agent.legal``    the regex toolbox for spelling questions (and the question
                                      texts the planner asks); what a legal question/guess/answer is
- ``agent.kinds``                     one object per kind of question (parsers, rule answer, the
                                      planner's p(yes)); the registry that dispatches over them
- ``agent.model``                     the backend Protocol, the GGUF's chat template, finding the
                                      model file, llama.cpp handles (the only ``llama_cpp``
                                      import) and the llama.cpp backend (sessions, prefix reuse)
- ``agent.planner``                   the knowledge folder, the planner's index, posterior and
                                      question choice (numpy, no model)
- ``agent.policies``                  LLM, planner and rule-first role policies, prompts
- ``agent.seat``, ``agent.runtime``   one seat (observation in, legal action out); the wiring
                                      ``main.py`` calls

The workbench around it (self-play, evaluation, benchmarks, knowledge builder, submission) is the
``llm20q`` package, which imports ``agent``; ``agent`` never imports it.
"""

__version__ = "0.1.0"
