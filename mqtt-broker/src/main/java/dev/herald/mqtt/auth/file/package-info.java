/**
 * Authentication and authorization from files: a password file of SCRAM-SHA-256 verifiers (RFC 5803
 * form) that serves both CONNECT passwords and SCRAM-SHA-256 enhanced authentication, and an ACL file
 * in Mosquitto's format.
 */
package dev.herald.mqtt.auth.file;
