"""Role policies the seat plays through (``base``): LLM questions, guesses and answers
(``llm``, on the chats of ``prompts``), the planner guesser (``planner``) and the rule-first
answerer (``answerer``)."""
