"""Prompt encoding: Gemma 3 hidden states → LTX-2 text connectors, with an LRU cache of the results."""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass

import torch
from diffusers.pipelines.ltx2 import LTX2TextConnectors
from torch import nn
from transformers import PreTrainedTokenizerBase

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PromptEmbeddings:
    """Connector outputs for one prompt: what the transformer cross-attends to."""

    video: torch.Tensor  # (1, tokens, video caption dim)
    audio: torch.Tensor  # (1, tokens, audio caption dim)
    mask: torch.Tensor  # (1, tokens), 1 = attend


class PromptEncoder:
    """Encodes prompts once; repeated prompts come from an LRU cache.

    Without a text encoder (full-size benchmarks skip Gemma 12B) each prompt maps to seeded random features
    of the shape Gemma would give, so the connectors and everything after them still run for real.
    """

    def __init__(
        self,
        connectors: LTX2TextConnectors,
        text_encoder: nn.Module | None,
        tokenizer: PreTrainedTokenizerBase | None,
        *,
        max_sequence_length: int,
        device: torch.device,
        cache_size: int = 64,
    ) -> None:
        self.connectors = connectors
        self.text_encoder = text_encoder
        self.tokenizer = tokenizer
        self.max_sequence_length = max_sequence_length
        self.device = device
        self.cache_size = cache_size
        self._cache: OrderedDict[str, PromptEmbeddings] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @property
    def dtype(self) -> torch.dtype:
        module = self.text_encoder if self.text_encoder is not None else self.connectors
        return next(module.parameters()).dtype

    def encode(self, prompt: str) -> PromptEmbeddings:
        cached = self._cache.get(prompt)
        if cached is not None:
            self._cache.move_to_end(prompt)
            self.hits += 1
            return cached
        self.misses += 1
        features, mask = self.text_features(prompt)
        embeddings = self.connect(features, mask)
        self._cache[prompt] = embeddings
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return embeddings

    @torch.no_grad()
    def text_features(self, prompt: str) -> tuple[torch.Tensor, torch.Tensor]:
        """All Gemma hidden states stacked per token: (1, tokens, hidden x (layers + 1)), and the mask."""
        if self.text_encoder is None or self.tokenizer is None:
            return self._random_features(prompt)
        self.tokenizer.padding_side = "left"
        tokens = self.tokenizer(
            [prompt.strip()],
            padding="max_length",
            max_length=self.max_sequence_length,
            truncation=True,
            add_special_tokens=True,
            return_tensors="pt",
        )
        ids = tokens.input_ids.to(self.device)
        mask = tokens.attention_mask.to(self.device)
        out = self.text_encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        features = torch.stack(out.hidden_states, dim=-1).flatten(2, 3).to(self.dtype)
        return features, mask

    def _random_features(self, prompt: str) -> tuple[torch.Tensor, torch.Tensor]:
        config = self.connectors.config
        width = config.caption_channels * config.text_proj_in_factor
        seed = int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:4], "little")
        generator = torch.Generator(self.device).manual_seed(seed)
        shape = (1, self.max_sequence_length, width)
        features = torch.randn(shape, generator=generator, device=self.device, dtype=self.dtype)
        mask = torch.zeros((1, self.max_sequence_length), dtype=torch.int64, device=self.device)
        mask[:, -min(len(prompt.split()) + 1, self.max_sequence_length) :] = 1  # left padded, like Gemma
        return features, mask

    @torch.no_grad()
    def connect(self, features: torch.Tensor, mask: torch.Tensor) -> PromptEmbeddings:
        features = features.to(next(self.connectors.parameters()).dtype)
        video, audio, connector_mask = self.connectors(features, mask, padding_side="left")
        return PromptEmbeddings(video=video, audio=audio, mask=connector_mask)
