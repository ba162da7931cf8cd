// Command signet is the signet authentication server and its administration
// tool: `signet serve` runs the server; the other commands manage users,
// keys and tokens in the same database.
package main
