package org.pdrecon.metrics;

/**
 * The three metrics of one comparison, with what a report must state alongside them (DESIGN.md).
 *
 * @param psnrDb PSNR in dB ({@code +∞} for identical images)
 * @param ssim mean SSIM over the masked voxels of the cropped region
 * @param nrmse euclidean-normalised RMSE, dimensionless
 * @param dataRange the range PSNR and SSIM were scaled by, in the images' units
 * @param maskVoxels number of voxels in the mask
 * @param maskDescription what the mask is
 */
public record MetricValues(double psnrDb, double ssim, double nrmse, double dataRange, int maskVoxels,
                           String maskDescription) {}
