import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BusinessHoursForm } from "./business-hours-form";

afterEach(cleanup);

const props = { pending: false, error: null, disabled: false, saved: false };
const berlin = {
  timezone: "Europe/Berlin",
  days: [
    { day: 1, open: "09:00", close: "12:00" },
    { day: 1, open: "13:00", close: "24:00" },
    { day: 6, open: "10:00", close: "14:00" },
  ],
};

const time = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const change = (name: string, value: string) => fireEvent.change(time(name), { target: { value } });
const save = () => fireEvent.click(screen.getByRole("button", { name: "Save business hours" }));

describe("BusinessHoursForm", () => {
  it("starts a tenant that is always open from weekdays 9 to 5 in the browser's zone, and saves that schedule", () => {
    const onSubmit = vi.fn();
    render(<BusinessHoursForm hours={null} onSubmit={onSubmit} {...props} />);
    expect((screen.getByRole("radio", { name: /^Always open/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText("Time zone")).toBeNull();

    fireEvent.click(screen.getByRole("radio", { name: "On a weekly schedule" }));
    fireEvent.change(screen.getByLabelText("Time zone"), { target: { value: "America/New_York" } });
    expect((screen.getByRole("checkbox", { name: "Saturday" }) as HTMLInputElement).checked).toBe(false);
    save();
    expect(onSubmit).toHaveBeenCalledWith({
      timezone: "America/New_York",
      days: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "17:00" })),
    });
  });

  it("shows the saved openings, midnight as 00:00, and sends midnight back as 24:00", () => {
    const onSubmit = vi.fn();
    render(<BusinessHoursForm hours={berlin} onSubmit={onSubmit} {...props} />);
    expect((screen.getByLabelText("Time zone") as HTMLSelectElement).value).toBe("Europe/Berlin");
    expect(time("Monday opens, period 2").value).toBe("13:00");
    expect(time("Monday closes, period 2").value).toBe("00:00");
    expect(within(screen.getByRole("list", { name: "Opening hours" })).getAllByText("Closed")).toHaveLength(5);
    save();
    expect(onSubmit).toHaveBeenCalledWith(berlin);
  });

  it("refuses a closing time before the opening, on its row, until it is fixed", () => {
    const onSubmit = vi.fn();
    render(<BusinessHoursForm hours={berlin} onSubmit={onSubmit} {...props} />);
    change("Saturday closes", "09:30");
    save();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert").textContent).toBe("Closes before it opens");
    expect(time("Saturday closes").getAttribute("aria-invalid")).toBe("true");
    expect(time("Saturday closes").getAttribute("aria-describedby")).toBe(screen.getByRole("alert").id);

    change("Saturday closes", "15:00");
    expect(screen.queryByRole("alert")).toBeNull();
    save();
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it("refuses overlapping openings of one day and an empty added period; removing it clears the problem", () => {
    const onSubmit = vi.fn();
    render(<BusinessHoursForm hours={berlin} onSubmit={onSubmit} {...props} />);
    change("Monday opens, period 2", "11:30");
    fireEvent.click(screen.getByRole("button", { name: "Add hours to Monday" }));
    save();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual(["Overlaps the hours before", "Enter an opening and a closing time"]);
    // At most three a day: no fourth.
    expect(screen.queryByRole("button", { name: "Add hours to Monday" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Remove Monday period 3" }));
    change("Monday opens, period 2", "12:00");
    expect(screen.queryByRole("alert")).toBeNull();
    save();
    expect(onSubmit).toHaveBeenCalledWith({ ...berlin, days: [berlin.days[0], { day: 1, open: "12:00", close: "24:00" }, berlin.days[2]] });
  });

  it("needs one open day for a schedule; 'always open' clears the hours", () => {
    const onSubmit = vi.fn();
    render(<BusinessHoursForm hours={berlin} onSubmit={onSubmit} {...props} />);
    fireEvent.click(screen.getByRole("checkbox", { name: "Monday" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Saturday" }));
    save();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert").textContent).toMatch(/Open on at least one day/);

    fireEvent.click(screen.getByRole("radio", { name: /^Always open/ }));
    save();
    expect(onSubmit).toHaveBeenCalledWith(null);
  });

  it("is read-only for people who cannot change it", () => {
    render(<BusinessHoursForm hours={berlin} onSubmit={() => {}} {...props} disabled />);
    expect(screen.queryByRole("button", { name: "Save business hours" })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Add hours/ })).toBeNull();
    expect(time("Monday opens, period 1").closest("fieldset[disabled]")).not.toBeNull();
  });
});
