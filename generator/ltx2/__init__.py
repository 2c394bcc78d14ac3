"""LTX-2 / LTX-2.3 distilled streaming pipeline built on diffusers' model classes."""
