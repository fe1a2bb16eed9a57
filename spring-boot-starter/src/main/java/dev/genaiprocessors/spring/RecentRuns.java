package dev.genaiprocessors.spring;

import java.util.List;
import java.util.Map;

/** The latest stored runs of a processor, for the actuator endpoint; given by the storage part. */
interface RecentRuns {
  List<Map<String, Object>> of(String processorName);
}
