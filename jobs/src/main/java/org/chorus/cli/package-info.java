/**
 * The command line's wiring: the root command that names every capability's command, the demo (a list of job steps),
 * sql and tables.
 */
package org.chorus.cli;
