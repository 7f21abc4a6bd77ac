# mlprep drill: moe_router
"""A top-2 mixture-of-experts layer: routing with ties to the lower index, gates from a softmax over
the chosen two, expert capacity with token dropping, and the load-balancing loss.
Run the public examples with `pytest` and grade with `mlprep grade moe_router.py`."""

from __future__ import annotations

import torch


def moe_layer(x: torch.Tensor, w_router: torch.Tensor, w_experts: torch.Tensor, capacity: int) -> dict[str, torch.Tensor]:
    """x (N, D), w_router (D, E), w_experts (E, D, D_out) -> {"experts", "gates", "slots", "y", "aux_loss"}.

    First choices of all tokens (token order) fill the experts' slots before any second choice;
    a refused assignment gets slot -1 and gate 0. aux_loss = E * sum_e f_e * P_e.
    """
    raise NotImplementedError("moe_layer")
