"""``llm20q tiny-llama3``: a tiny Llama-architecture GGUF with Llama 3's tokenizer, for tests.

The mission's model is Llama 3 8B Instruct; its tokenizer and chat template must be exercised
without 8 GB of weights. llama-cpp-python's sdist carries llama.cpp's
``models/ggml-vocab-llama-bpe.gguf``: Llama 3's vocabulary (128,256 tokens, merges, BOS
``<|begin_of_text|>``) and no weights. We copy its ``tokenizer.*`` metadata, add Llama 3
Instruct's chat template, and write 2 transformer blocks of seeded random weights (``n_embd`` 64,
4 query heads, 2 key/value heads as in Llama 3's grouped-query attention) with the ``gguf``
package. The same sdist and seed give the same bytes.

Random weights say nothing useful, so the output head is shaped to make the model's greedy
reply predictable: attention and MLP weights are small (std 0.02) next to the token embeddings
(std 1), so the last hidden state is close to the embedding of the last token, and the output
rows of a short chain of tokens point along the embedding of the token before them. After the
generation prompt (which ends in ``"\\n\\n"``) the model says ``Yes``, then ``.``, then
``<|eot_id|>``: a yes/no read-out with P(yes) near 1 and a reply that ends at the end of turn.

Shortcut: F16 embeddings and output, F32 everything else; no rope scaling (Llama 3, not 3.1).
"""

from __future__ import annotations

import argparse
import itertools
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llm20q.submission.llama_wheel import DEFAULT_VERSION, fetch_sdist
from llm20q.submission.tools import default_wheelhouse

if TYPE_CHECKING:
    import numpy as np

VOCAB_MEMBER = "vendor/llama.cpp/models/ggml-vocab-llama-bpe.gguf"
DEFAULT_OUT = Path("models/tiny-llama3/tiny-llama3-vocab.gguf")
# Meta-Llama-3-8B-Instruct's tokenizer_config.json chat_template.
LLAMA3_CHAT_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}"
    "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
    "{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
    "{% endif %}"
)
N_EMBD, N_HEAD, N_HEAD_KV, N_FF, N_LAYER, N_CTX = 64, 4, 2, 128, 2, 8192
SEED = 3
# The greedy reply after the generation prompt, as token texts of the byte-level vocabulary
# ("Ċ" is "\n"): "\n\n" -> "Yes" -> "." -> end of turn.
REPLY_CHAIN = ("ĊĊ", "Yes", ".", "<|eot_id|>")
CHAIN_GAIN = 2.0


def extract_vocab(sdist: Path, folder: Path) -> Path:
    """ggml-vocab-llama-bpe.gguf out of the llama-cpp-python sdist."""
    with tarfile.open(sdist) as archive:
        top = archive.getmembers()[0].name.split("/", 1)[0]
        member = archive.getmember(f"{top}/{VOCAB_MEMBER}")
        source = archive.extractfile(member)
        if source is None:
            raise ValueError(f"{sdist}: {VOCAB_MEMBER} is not a file")
        target = folder / Path(VOCAB_MEMBER).name
        target.write_bytes(source.read())
    return target


def _weights(n_vocab: int, chain: list[int], seed: int) -> dict[str, np.ndarray]:
    import numpy as np  # here: `llm20q --help` loads no numpy

    rng = np.random.default_rng(seed)
    head_dim = N_EMBD // N_HEAD

    def small(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.02, shape).astype(np.float32)

    embeddings = rng.normal(0.0, 1.0, (n_vocab, N_EMBD)).astype(np.float32)
    output = small(n_vocab, N_EMBD)
    for before, after in itertools.pairwise(chain):
        direction = embeddings[before] / np.linalg.norm(embeddings[before])
        output[after] = CHAIN_GAIN * direction
    tensors: dict[str, np.ndarray] = {
        "token_embd.weight": embeddings.astype(np.float16),
        "output_norm.weight": np.ones(N_EMBD, np.float32),
        "output.weight": output.astype(np.float16),
    }
    for block in range(N_LAYER):
        prefix = f"blk.{block}."
        tensors |= {
            prefix + "attn_norm.weight": np.ones(N_EMBD, np.float32),
            prefix + "attn_q.weight": small(N_HEAD * head_dim, N_EMBD),
            prefix + "attn_k.weight": small(N_HEAD_KV * head_dim, N_EMBD),
            prefix + "attn_v.weight": small(N_HEAD_KV * head_dim, N_EMBD),
            prefix + "attn_output.weight": small(N_EMBD, N_HEAD * head_dim),
            prefix + "ffn_norm.weight": np.ones(N_EMBD, np.float32),
            prefix + "ffn_gate.weight": small(N_FF, N_EMBD),
            prefix + "ffn_up.weight": small(N_FF, N_EMBD),
            prefix + "ffn_down.weight": small(N_EMBD, N_FF),
        }
    return tensors


def write_tiny_llama3(vocab: Path, out: Path, seed: int = SEED) -> Path:
    """Write the tiny model to ``out`` (atomically) from the vocabulary GGUF ``vocab``."""
    import gguf

    reader = gguf.GGUFReader(vocab)
    fields: dict[str, Any] = {
        key: field.contents()
        for key, field in reader.fields.items()
        if key.startswith("tokenizer.")
    }
    tokens: list[str] = fields["tokenizer.ggml.tokens"]
    chain = [tokens.index(text) for text in REPLY_CHAIN]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    writer = gguf.GGUFWriter(partial, "llama")
    writer.add_name("tiny-llama3-vocab")
    writer.add_context_length(N_CTX)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYER)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD_KV)
    writer.add_rope_dimension_count(N_EMBD // N_HEAD)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(len(tokens))
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_tokenizer_model(fields["tokenizer.ggml.model"])
    writer.add_tokenizer_pre(fields["tokenizer.ggml.pre"])
    writer.add_token_list(tokens)
    writer.add_token_types(fields["tokenizer.ggml.token_type"])
    writer.add_token_merges(fields["tokenizer.ggml.merges"])
    writer.add_bos_token_id(fields["tokenizer.ggml.bos_token_id"])
    writer.add_eos_token_id(fields["tokenizer.ggml.eos_token_id"])
    writer.add_chat_template(LLAMA3_CHAT_TEMPLATE)
    for name, tensor in _weights(len(tokens), chain, seed).items():
        writer.add_tensor(name, tensor)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    partial.replace(out)
    return out


def build(out: Path, wheelhouse: Path, version: str = DEFAULT_VERSION) -> Path:
    """The tiny model at ``out`` from the sdist in ``wheelhouse`` (downloaded once)."""
    sdist = fetch_sdist(version, wheelhouse)
    with tempfile.TemporaryDirectory() as scratch:
        return write_tiny_llama3(extract_vocab(sdist, Path(scratch)), out)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument(
        "--wheelhouse",
        type=Path,
        default=None,
        help="where the sdist is cached (default: $WHEELHOUSE or ~/.cache/llm20q/wheelhouse)",
    )


def run(args: argparse.Namespace) -> int:
    path = build(args.out, args.wheelhouse or default_wheelhouse())
    print(f"tiny Llama 3 vocabulary model ready: {path} ({path.stat().st_size:,} bytes)")
    return 0
