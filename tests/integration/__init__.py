"""Integration tests: the real tiny GGUF through real llama-cpp-python, real kaggle-environments
episodes, the knowledge builder with a real model."""
