package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 NodeSpec (subset). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NodeSpec(String podCIDR, List<String> podCIDRs, Boolean unschedulable) {}
