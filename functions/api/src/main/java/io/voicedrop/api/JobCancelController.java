package io.voicedrop.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.service.JobCanceller;
import io.voicedrop.core.view.JobView;

/**
 * {@code DELETE /jobs/{id}}: cancel a create job that has not started its billable call ({@link JobCanceller}).
 * 200 with the job ({@code CANCELLED}; cancelling it again answers the same); 409 {@code conflict} when the job is
 * past that point (its model will be created: delete it then with {@code DELETE /fish/model/<job id>}), already
 * ended, or is a deletion; 404 unknown or another owner's; 400 malformed id. The job record stays, as
 * {@code CANCELLED}: cancelling is not erasing (erase with {@code DELETE /fish/model/<job id>}).
 */
@Controller(value = "/jobs")
public class JobCancelController {

    private final JobCanceller canceller;

    public JobCancelController(JobCanceller canceller) {
        this.canceller = canceller;
    }

    @Delete(value = "/{id}", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<String> cancel(HttpRequest<?> request, @PathVariable("id") String id) {
        JobCanceller.Result result = canceller.cancel(Requester.checkedId(id), Requester.owner(request));
        if (result instanceof JobCanceller.Cancelled c) {
            return Envelope.ok(JobView.of(c.job()));
        }
        if (result instanceof JobCanceller.Refused r) {
            throw ApiException.conflict(r.reason());
        }
        throw ApiException.notFound("The job does not exist.");
    }
}
