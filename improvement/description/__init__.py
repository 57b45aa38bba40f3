"""Phase 1: describing the intervention – theory of change, core elements, workflows,
development points, and the compiled, versioned intervention description."""
