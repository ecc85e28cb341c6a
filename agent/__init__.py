"""A llama.cpp agent for Kaggle's LLM 20 Questions.

Layers, bottom to top (each module's docstring says what it does and which shortcuts it takes):

- ``agent.llm``            the backend Protocol and chat message types
- ``agent.llama_backend``  llama.cpp through llama-cpp-python (the only module importing llama_cpp)
- ``agent.chat_template``  renders a chat with the GGUF's own Jinja template
- ``agent.prompts``        prompt files in ``prompts/`` -> chat messages (pure functions)
- ``agent.output_rules``   what a legal question, guess and answer look like (pure functions)
- ``agent.policies``       LLM questioner, guesser and answerer policies on top of a backend
- ``agent.rules``          spelling, alphabet and "one of" questions answered by code
- ``agent.planner``        Bayesian / Agent Alpha planner over the knowledge lexicon (numpy)
- ``agent.planner_policy`` planner guesser and rule-first answerer (rules, table, LLM)
- ``agent.baseline``       the plain LLM-only baseline seat, for evaluation
- ``agent.game``           observations, roles, turn types and the seat state machine
- ``agent.seat``           one player seat: state machine + policies, never raises
- ``agent.runtime``        the process-wide seat used by ``main.py`` (Kaggle's entry point)

Offline tools (never imported by the Kaggle runtime): ``agent.harness`` (self-play against the
official judge, evaluation), ``agent.knowledge`` builder (its ``store`` module is the run-time
loader), ``agent.cli`` (``python -m agent ...``) and ``bench/``.
"""

__version__ = "0.1.0"
