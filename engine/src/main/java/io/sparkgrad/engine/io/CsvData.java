package io.sparkgrad.engine.io;

import java.util.List;

/**
 * A numeric CSV file split into features and labels.
 *
 * @param features {@code rows * cols} values, row-major, the label column removed
 * @param labels one value per row, or an empty array when no label column was chosen
 * @param rows data rows read (header lines and blank lines excluded)
 * @param cols feature columns per row
 * @param columnNames the names in the last skipped header line, label column included, in file
 *     order; empty when no header line was skipped
 * @param labelColumn the 0-based index of the label column in the file, or -1 when there is none
 */
public record CsvData(
    float[] features,
    float[] labels,
    int rows,
    int cols,
    List<String> columnNames,
    int labelColumn) {

  public CsvData {
    columnNames = List.copyOf(columnNames);
  }
}
