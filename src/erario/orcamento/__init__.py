"""Orçamento público: classificações orçamentárias e eventos da LOA."""
