// Public surface of the master role (filled in by the master implementation).
export {};
