"""How people read the table's questions, written as rules over WordNet (issue 20 items 2-3).

- :mod:`.rules`: the rule types (:class:`Is`, :class:`Gloss`, :class:`Lex`), a
  :class:`Reading` per question and the source codes stored with every answer;
- :mod:`.broad`: the broad taxonomy questions (device, machine, container, food, man-made...);
- :mod:`.properties`: the property questions (found in a kitchen, made of metal, has wheels...);
- :mod:`.everyday`: more property questions (food, wearing, use, what a thing gives off);
- :mod:`.apply`: the table rows the builder writes from them, LLM labels pooled in where the
  rules are silent.
"""
