package io.voicedrop.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobStore.JobPage;
import io.voicedrop.testing.InMemoryJobStore;
import io.voicedrop.testing.Jobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobListingTest {

    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    private final InMemoryJobStore store = new InMemoryJobStore();
    private final JobListing listing = new JobListing(store);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 100})
    void pagesThroughTheDeploymentsAndTheOwnersJobsWithoutGapsOrRepeats(int limit) {
        Random random = new Random(limit);
        List<Job> visibleToAlice = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Few distinct instants: many ties, inside one owner's jobs and across the two sequences.
            Instant at = T0.plusSeconds(random.nextInt(8));
            String owner = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> "alice";
                default -> "bob";
            };
            Job job = job("job-" + i, at, owner);
            store.createIfAbsent(job);
            if (owner == null || owner.equals("alice")) {
                visibleToAlice.add(job);
            }
        }
        visibleToAlice.sort(JobListing.NEWEST_FIRST);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JobPage page = listing.newestFirst("alice", limit, cursor);
            page.jobs().forEach(j -> listed.add(j.jobId()));
            cursor = page.nextCursor();
            if (cursor != null) {
                assertEquals(limit, page.jobs().size(), "only the last page may be short");
            }
            assertTrue(++pages <= 41, "the listing does not end");
        } while (cursor != null);
        assertEquals(visibleToAlice.stream().map(Job::jobId).toList(), listed);
    }

    @Test
    void aNewJobDoesNotDisturbTheCursorOfAnOlderPage() {
        for (int i = 0; i < 4; i++) {
            store.createIfAbsent(job("b" + i, T0.plusSeconds(i), null));
        }
        JobPage first = listing.newestFirst("alice", 2, null);
        assertEquals(List.of("b3", "b2"), ids(first));
        store.createIfAbsent(job("new", T0.plusSeconds(60), "alice"));
        JobPage second = listing.newestFirst("alice", 2, first.nextCursor());
        assertEquals(List.of("b1", "b0"), ids(second));
        assertNull(second.nextCursor());
        assertEquals("new", listing.newestFirst("alice", 1, null).jobs().get(0).jobId());
    }

    @Test
    void withoutAnOwnerOnlyTheDeploymentsJobsAreListed() {
        store.createIfAbsent(job("mine", T0, "alice"));
        store.createIfAbsent(job("bucket", T0, null));
        assertEquals(List.of("bucket"), ids(listing.newestFirst(null, 10, null)));
    }

    @Test
    void anEmptyStoreIsOneEmptyPage() {
        JobPage page = listing.newestFirst("alice", 20, null);
        assertTrue(page.jobs().isEmpty());
        assertNull(page.nextCursor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "", "MQ", "MjtlbmQ7ZW5k", "MTtlbmQ7eA", "MTthLmIuYztlbmQ"})
    void aCursorNotMadeByTheListingIsRefused(String cursor) {
        assertThrows(IllegalArgumentException.class, () -> listing.newestFirst("alice", 5, cursor));
    }

    private static List<String> ids(JobPage page) {
        return page.jobs().stream().map(Job::jobId).toList();
    }

    private static Job job(String id, Instant createdAt, String owner) {
        return Jobs.queued(id, createdAt).owner(owner).build();
    }
}
