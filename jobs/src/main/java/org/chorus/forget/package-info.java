/**
 * Consent withdrawal: a person's rows deleted from every table (and, with --expire, from old snapshots). Job:
 * ForgetJob.
 */
package org.chorus.forget;
