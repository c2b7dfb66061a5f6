package dev.zbatch.cli;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The most heap in use at any moment between {@link #start} and {@link #stop}, without sampling: heap in use only
 * grows between collections, so its peaks are what each collection found before it ran (and what is in use at
 * the end).
 */
final class HeapPeak implements NotificationListener {

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(pool -> pool.getName()).collect(Collectors.toSet());
    private volatile long peak;

    void start() {
        peak = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) emitter.addNotificationListener(this, null, null);
        }
    }

    /** Stops listening; returns the peak in bytes. */
    long stop() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (ListenerNotFoundException e) {
                    // not an emitter we joined
                }
            }
        }
        raise(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        return peak;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) used += ((MemoryUsage) pool.getValue()).getUsed();
        }
        raise(used);
    }

    private synchronized void raise(long used) {
        if (used > peak) peak = used;
    }
}
