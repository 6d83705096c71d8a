// Public surface of the client role (filled in by the client implementation).
export {};
