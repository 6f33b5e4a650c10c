/**
 * Math two or more capabilities share (k-means, bootstrap, ARI); imports no capability.
 */
package org.chorus.math;
