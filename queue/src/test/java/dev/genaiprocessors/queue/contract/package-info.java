/**
 * The broker contract suite, {@link dev.genaiprocessors.queue.contract.BrokerContract}, shipped in
 * the queue module's test jar for every broker module's tests to extend.
 */
@NullMarked
package dev.genaiprocessors.queue.contract;

import org.jspecify.annotations.NullMarked;
