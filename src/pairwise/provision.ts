// PLACEHOLDER (lead): the engine helper replaces this with provide("pairwise", bytes) once assembly/pairwise.ts exists.
export {};
