// Public surface of the worker role (filled in by the worker implementation).
export {};
