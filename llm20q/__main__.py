"""``python -m llm20q <command>``: the same as the ``llm20q`` console script."""

from llm20q.cli import main

raise SystemExit(main())
