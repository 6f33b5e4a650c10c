/**
 * Text algorithms shared across capabilities (MinHash); imports no capability.
 */
package org.chorus.text;
