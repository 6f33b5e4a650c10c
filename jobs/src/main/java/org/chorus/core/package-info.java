/**
 * Shared plumbing that imports no capability: the job contract (core.job), config, tables, I/O and Spark helpers.
 */
package org.chorus.core;
