/**
 * One self-contained HTML report of every table (inline SVG, no script). Job: ReportJob. docs/report.md.
 */
package org.chorus.report;
