"""The language model behind the policies: the backend Protocol (``protocol``), the GGUF's chat
template, finding the model file, the llama.cpp handles (the only ``llama_cpp`` import) and the
llama.cpp backend (sessions, prefix reuse, yes/no read-out, bounded generation)."""
