#!/usr/bin/env python3
"""Build a local Hugging Face tokenizer directory whose token = one word.

The simulated engine (`sweepline sim-engine`) counts one whitespace-separated
word as one token. The peer benchmark clients (vLLM `bench serve`, AIPerf)
size prompts with a Hugging Face tokenizer, so we give them one with the same
rule: a WordLevel model behind a WhitespaceSplit pre-tokenizer (split on
whitespace only, so "thee," stays one token exactly as the server counts it),
no post-processor (no BOS/EOS added: num_special_tokens_to_add() == 0), and
decode() that joins tokens with single spaces. Unknown words map to <unk>,
which is still one token per word, so counts agree with the server for any
text.

The vocabulary is a deterministic list of pronounceable lowercase pseudo-words
(consonant-vowel syllables), so nothing is downloaded and the build is
reproducible.

It can also register the directory in a Hugging Face hub-cache layout
(--hf-cache DIR --repo-id OWNER/NAME): AIPerf 0.13 in offline mode
(HF_HUB_OFFLINE=1) resolves every --tokenizer through
snapshot_download(local_files_only=True) and so rejects a plain directory
path, but it loads OWNER/NAME from HF_HUB_CACHE=DIR fine.

Usage: make_word_tokenizer.py OUT_DIR [--vocab-size N]
                              [--hf-cache DIR --repo-id OWNER/NAME]
"""

import argparse
import json
import os
import shutil
import sys

SPECIAL = ["<unk>", "<s>", "</s>", "<pad>"]
CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"


def word_list(n: int) -> list[str]:
    syllables = [c + v for c in CONSONANTS for v in VOWELS]  # 70
    words: list[str] = []
    # Two-syllable words first (4,900), then three-syllable ones as needed.
    for a in syllables:
        for b in syllables:
            words.append(a + b)
    if n > len(words):
        for a in syllables:
            for b in syllables:
                for c in syllables:
                    words.append(a + b + c)
                    if len(words) >= n:
                        break
                if len(words) >= n:
                    break
            if len(words) >= n:
                break
    return words[:n]


def build(out_dir: str, vocab_size: int) -> None:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    words = word_list(vocab_size - len(SPECIAL))
    vocab = {tok: i for i, tok in enumerate(SPECIAL + words)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    # No decoder would also join with " "; make it explicit and stable.
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)
    tok.add_special_tokens(SPECIAL)

    os.makedirs(out_dir, exist_ok=True)
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": 131072,
        "unk_token": "<unk>",
        "bos_token": "<s>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "add_bos_token": False,
        "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "padding_side": "left",
    }
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(out_dir, "special_tokens_map.json"), "w") as f:
        json.dump(
            {k: config[k] for k in ("unk_token", "bos_token", "eos_token", "pad_token")},
            f,
            indent=2,
        )
    # A minimal config.json: some loaders (AutoConfig probes) look for it.
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(
            {"model_type": "llama", "vocab_size": len(vocab),
             "max_position_embeddings": 131072},
            f,
            indent=2,
        )


# A fixed, fake commit id: the snapshot is ours, not a hub download.
SNAPSHOT = "0" * 40


def register_in_hf_cache(out_dir: str, cache_dir: str, repo_id: str) -> str:
    """Lay OUT_DIR's files out as CACHE/models--OWNER--NAME/snapshots/<id>."""
    repo = os.path.join(cache_dir, "models--" + repo_id.replace("/", "--"))
    snap = os.path.join(repo, "snapshots", SNAPSHOT)
    if os.path.isdir(snap):
        shutil.rmtree(snap)
    os.makedirs(snap)
    for name in sorted(os.listdir(out_dir)):
        shutil.copy2(os.path.join(out_dir, name), os.path.join(snap, name))
    os.makedirs(os.path.join(repo, "refs"), exist_ok=True)
    with open(os.path.join(repo, "refs", "main"), "w") as f:
        f.write(SNAPSHOT)
    return snap


def check(out_dir: str) -> None:
    """Load through transformers and check the one-word-one-token invariants."""
    from transformers import AutoTokenizer

    t = AutoTokenizer.from_pretrained(out_dir)
    ids = list(range(len(SPECIAL), len(SPECIAL) + 200))
    text = t.decode(ids)
    assert text == " ".join(text.split()), "decode must join with single spaces"
    assert len(text.split()) == len(ids), (len(text.split()), len(ids))
    again = t.encode(text, add_special_tokens=False)
    assert again == ids, "re-encoding decoded words must round-trip"
    assert t.num_special_tokens_to_add() == 0
    assert len(t.encode("Shall I compare thee, to a summer's day?",
                        add_special_tokens=False)) == 8
    print(f"word tokenizer ok: {out_dir} (vocab {t.vocab_size})")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir")
    p.add_argument("--vocab-size", type=int, default=4096)
    p.add_argument("--hf-cache", help="hub cache dir (HF_HUB_CACHE) to register in")
    p.add_argument("--repo-id", default="sweepline/word-tokenizer")
    p.add_argument("--no-check", action="store_true")
    a = p.parse_args()
    build(a.out_dir, a.vocab_size)
    if not a.no_check:
        check(a.out_dir)
    if a.hf_cache:
        snap = register_in_hf_cache(a.out_dir, a.hf_cache, a.repo_id)
        print(f"registered as {a.repo_id} in {a.hf_cache} ({snap})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
